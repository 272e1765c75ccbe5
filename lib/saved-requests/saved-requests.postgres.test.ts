import { savedRequestsSuite } from "./saved-requests.suite";

savedRequestsSuite("postgres");
