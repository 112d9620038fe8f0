/** The MCP SDK's own client, connected to `hpc-jobs mcp` (the built CLI) over stdio. */
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI } from './cliBundle';

/** Starts `hpc-jobs mcp` and connects the SDK's client to it. */
export async function connectMcp(env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'hpc-jobs-test', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], env: { ...process.env as Record<string, string>, ...env }, stderr: 'inherit' }));
  return client;
}

/** A tool's JSON answer, and whether it is an error. */
export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ json: Record<string, unknown>; isError: boolean }> {
  const r = await client.callTool({ name, arguments: args });
  const content = r.content as { type: string; text: string }[];
  assert.equal(content.length, 1);
  assert.equal(content[0]!.type, 'text');
  return { json: JSON.parse(content[0]!.text) as Record<string, unknown>, isError: r.isError === true };
}
