import '@tasklocal/node-als/register';
import { Local } from '@tasklocal/core';

export const request = new Local({ name: 'request' });
