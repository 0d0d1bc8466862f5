import { loadCommands } from './src/bot/registry.js';
const cmds = await loadCommands();
for (const c of cmds) {
  console.log(c.id, JSON.stringify(c.names), c.actions.map((a:any)=> `${a.id ?? ''}:${JSON.stringify(a.names ?? a.sub ?? '')}:${a.role}:${a.confirm?'C':''}`).join(' | '));
}
