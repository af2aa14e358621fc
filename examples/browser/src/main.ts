import '@tasklocal/browser-zone/register/async-context';
import { mount } from './app.ts';

mount(document.querySelector('#app') as HTMLElement);
