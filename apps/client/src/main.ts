// Entry point of the bundled binary. The daemon's wiring lands with its issue.
export {};
