// The structured logger shape of ADR 0002. @orc/api already depends on @orc/topology at run time,
// so it takes topology's declaration instead of keeping a copy: the copies the ADR accepts are the
// ones that keep a library free of @orc dependencies, and this package is not one of them.
export { noopLogger, type LogFields, type Logger } from '@orc/topology';
