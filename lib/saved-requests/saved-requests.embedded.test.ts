import { savedRequestsSuite } from "./saved-requests.suite";

savedRequestsSuite("embedded");
