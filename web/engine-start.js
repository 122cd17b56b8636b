// Loaded first by index.html, on its own: starts the engine's worker before the app's modules arrive.
import { prestart } from "./engine-client.js";

prestart();
