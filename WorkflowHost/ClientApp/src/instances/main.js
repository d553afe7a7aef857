import { mountLayout } from '../shared/layout.js';
await mountLayout({ page: 'instances', title: 'nav.instances', roles: ['administrator'] });
