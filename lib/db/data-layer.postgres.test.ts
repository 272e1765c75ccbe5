import { dataLayerSuite } from "./data-layer.suite";

dataLayerSuite("postgres");
