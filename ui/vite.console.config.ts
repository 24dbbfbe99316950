import { defineConfig, mergeConfig } from "vite";
import desktop from "./vite.config.ts";

// The dispatcher console: the same build rules as the desktop UI (no inline scripts or
// styles, for HQ's strict CSP), its own page and output, which HQ embeds (crates/onsite-hq/build.rs).
export default mergeConfig(
  desktop,
  defineConfig({
    server: { port: 5174 },
    build: {
      outDir: "dist-console",
      rollupOptions: { input: "console.html" },
    },
  }),
);
