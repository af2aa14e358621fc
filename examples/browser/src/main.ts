import '@tasklocal/browser-zone/register';
import { mount } from './app.ts';

mount(document.querySelector('#app') as HTMLElement);
