import { dataLayerSuite } from "./data-layer.suite";

dataLayerSuite("embedded");
