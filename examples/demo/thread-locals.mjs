// Both the main thread and the workers import this module, so both define the
// same named Local.
import '@tasklocal/node-als/register';
import { Local } from '@tasklocal/core';

export const localStorage = new Local({ name: 'talk' });
