// The single executable's entry: fixes where the bundle's `import.meta.url` points (the asset
// cache, so the daemon finds the web page at `<cache>/web/`), then runs the ordinary main.
import './sea-setup.js';
import '../main.js';
