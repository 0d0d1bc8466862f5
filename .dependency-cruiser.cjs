// The rooms of ../shared/design.md and the arrows between them, checked in `npm test` (npm run deps). Type-only
// imports count: a type import is still an arrow, and a cycle of them still ties modules together.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycle, type-only ones included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-main',
      comment: 'src/main.ts is the process entry; nothing imports it.',
      severity: 'error',
      from: {},
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'library-entry-is-outside',
      comment: 'src/index.ts is the library entry for others; the code itself never goes through it.',
      severity: 'error',
      from: { path: '^(src|commands)/' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'config-imports-nothing',
      severity: 'error',
      from: { path: '^src/config\\.ts$' },
      to: { path: '^(src|commands)/' },
    },
    {
      name: 'store-imports-config-only',
      comment: 'The store knows nothing of WeCom, callbacks or the bot.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^(src|commands)/', pathNot: ['^src/store/', '^src/config\\.ts$', '^src/log\\.ts$'] },
    },
    {
      name: 'i18n-imports-config-only',
      severity: 'error',
      from: { path: '^src/i18n/' },
      to: { path: '^(src|commands)/', pathNot: ['^src/i18n/', '^src/config\\.ts$'] },
    },
    {
      name: 'wecom-is-a-client-only',
      comment: 'The WeCom client (a library of its own) never imports the bot, commands, callbacks, rendering or the simulator.',
      severity: 'error',
      from: { path: '^src/wecom/' },
      to: { path: '^(src|commands)/', pathNot: ['^src/wecom/', '^src/store/', '^src/log\\.ts$'] },
    },
    {
      name: 'wire-types-are-types',
      comment: 'src/wecom/types/ holds the wire types only, so the simulator and the renderer can share them.',
      severity: 'error',
      from: { path: '^src/wecom/types/' },
      to: { path: '^(src|commands)/', pathNot: '^src/wecom/types/' },
    },
    {
      name: 'render-without-wecom-code',
      comment: 'Rendering uses the WeCom wire types, never the client.',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^(src|commands)/', pathNot: ['^src/render/', '^src/i18n/', '^src/config\\.ts$', '^src/wecom/types/'] },
    },
    {
      name: 'simulator-shares-no-code-with-the-client',
      comment: 'The simulator is a fake WeCom: it shares the wire types and the callback crypto, never client or bot code.',
      severity: 'error',
      from: { path: '^src/simulator/' },
      to: {
        path: '^(src|commands)/',
        pathNot: ['^src/simulator/', '^src/wecom/types/', '^src/callback/(crypto|xml)\\.ts$', '^src/config\\.ts$'],
      },
    },
    {
      name: 'callback-never-imports-the-bot',
      severity: 'error',
      from: { path: '^src/callback/' },
      to: { path: '^(src|commands)/', pathNot: ['^src/callback/', '^src/store/', '^src/log\\.ts$', '^src/config\\.ts$'] },
    },
    {
      name: 'bot-below-the-app',
      comment: 'The bot is assembled by runtime/server/main and knows neither them nor the simulator nor commands/ files.',
      severity: 'error',
      from: { path: '^src/bot/' },
      to: { path: ['^src/(main|runtime|server|demo|chat)\\.ts$', '^src/simulator/', '^src/playground/', '^commands/'] },
    },
    {
      name: 'command-api-stands-alone',
      comment: 'src/bot/command.ts and its files in src/bot/command/ are the command author\'s whole API: they import nothing else of the bot.',
      severity: 'error',
      from: { path: '^src/bot/command(\\.ts$|/)' },
      to: { path: '^src/bot/', pathNot: '^src/bot/command(\\.ts$|/)' },
    },
    {
      name: 'commands-use-the-command-api',
      comment: 'Commands import src/bot/command.ts, the WeCom client and rendering; nothing else of src/.',
      severity: 'error',
      from: { path: '^commands/' },
      to: { path: '^src/', pathNot: ['^src/bot/command\\.ts$', '^src/wecom/', '^src/render/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|commands)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6'],
  },
};
