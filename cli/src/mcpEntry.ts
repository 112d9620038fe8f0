/**
 * `hpc-jobs mcp`, loaded only when it runs: the MCP SDK and zod are three quarters of the CLI's
 * size, and every `hpc-jobs lint` (pre-commit runs it per commit) would parse them. esbuild.mjs
 * makes `./mcpCommand` a bundle of its own, out/mcp.js, beside out/cli.js.
 */
import type { Command } from './command';

export const mcpCommand: Command = {
  usage: 'Usage: hpc-jobs mcp   (hpc-jobs mcp --help lists the tools)',
  run(args, io) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use (see the top)
    const loaded = require('./mcpCommand') as typeof import('./mcpCommand');
    return loaded.mcpCommand.run(args, io);
  },
};
