#!/usr/bin/env node
import { main } from './cli/main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    // -1: the server keeps the process alive until a signal stops it.
    if (code >= 0) process.exitCode = code;
  },
  (err) => {
    console.error(`chatmark: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
