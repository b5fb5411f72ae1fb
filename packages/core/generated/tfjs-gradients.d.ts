// Types of the generated gradient bundle (scripts/bundle-gradients.mjs writes the .js at build
// time): it only registers gradients, and exports nothing.
export {};
