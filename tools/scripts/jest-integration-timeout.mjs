// jest-circus reads `testTimeout` from the global config only, so the integration project's
// own `testTimeout` was ignored and every integration test ran under the 5 s default (tests
// failed on a loaded 2-core machine). This sets the bound for each integration test file.
import { jest } from '@jest/globals';

jest.setTimeout(120_000);
