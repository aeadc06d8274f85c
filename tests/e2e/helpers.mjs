// @ts-check
// Helpers for the end-to-end tests, by kind in tests/e2e/helpers/: common (PIN, testids,
// clicks), prompt (the prompt window), ceremony (page ceremonies, sites, authenticators) and
// in-page (checks run inside a page). Tests import them all from here.
// Hooks: data-testid values as the UI test contract lists them, plus `prompt-friendly-name`.

export * from './helpers/common.mjs';
export * from './helpers/prompt.mjs';
export * from './helpers/ceremony.mjs';
export * from './helpers/in-page.mjs';
