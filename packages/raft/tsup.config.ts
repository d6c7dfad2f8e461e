import { packageBuild } from '../../tools/scripts/tsup-package.mjs';

export default packageBuild({ index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' });
