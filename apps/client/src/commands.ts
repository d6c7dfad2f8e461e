// orchestrator-client's commands, in the original's order of groups: for each, the arguments it
// insists on (in the original's order, with its messages), the API path it calls and how it prints
// the answer. The groups live under commands/.
import { informationCommands } from './commands/information.js';
import { kvAndRefactoringCommands } from './commands/kv-refactoring.js';
import { metaAndRaftCommands } from './commands/meta-raft.js';
import { recoveryCommands } from './commands/recovery.js';
import { replicationCommands } from './commands/replication.js';
import { CommandTable, type CommandSpec } from './commands/spec.js';
import { tagAndDowntimeCommands } from './commands/tags-downtime.js';

export { needValue, type CommandContext, type CommandResult, type CommandSpec, type Need } from './commands/spec.js';

const table = new CommandTable();
informationCommands(table);
kvAndRefactoringCommands(table);
tagAndDowntimeCommands(table);
replicationCommands(table);
recoveryCommands(table);
metaAndRaftCommands(table);

/** Every command, by name. */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(table.specs.map((c) => [c.name, c]));
