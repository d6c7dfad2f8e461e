// The Raft group of daemon processes lives in @orc/testenv, shared with apps/client's tests.
export { createRaftNodes, type RaftNode, type RaftNodeLayout, type RaftNodes } from '@orc/testenv';
