// Monaco's web workers, built into our own bundle (no CDN): see components/editor/monaco-setup.ts.
import "monaco-editor/editor/editor.worker.js";
