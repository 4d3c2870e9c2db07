// Types for eslint.boundaries.js (plain JS, so eslint can load it without a build), for the test that checks it.
import type { Linter } from 'eslint';

export declare const boundaries: Linter.Config[];
