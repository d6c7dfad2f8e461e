import { packageBuild } from '../../tools/scripts/tsup-package.mjs';

export default packageBuild(['src/index.ts']);
