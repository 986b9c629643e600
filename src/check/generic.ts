/** The invariants every protocol is checked against, whatever it is. */
import type { Invariant } from '../api/invariant.js';
import { linearizable } from './history.js';
import { replicatedStateMachineInvariants } from './replicated-state-machine.js';

export const genericInvariants: readonly Invariant[] = [...replicatedStateMachineInvariants, linearizable];
