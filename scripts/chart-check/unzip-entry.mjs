#!/usr/bin/env node
// Extracts one file from a zip archive with node's zlib only (no `unzip` needed on the machine).
// usage: node unzip-entry.mjs ARCHIVE.zip ENTRY/PATH OUTPUT_FILE
// Handles stored and deflated entries of a plain (non-zip64) archive, checks the CRC-32, writes mode 0755.
import { readFileSync, writeFileSync, chmodSync, renameSync } from 'node:fs';
import { inflateRawSync, crc32 } from 'node:zlib';

const [zipPath, entryName, outPath] = process.argv.slice(2);
if (!zipPath || !entryName || !outPath) fail('usage: unzip-entry.mjs ARCHIVE.zip ENTRY OUTPUT');

const buf = readFileSync(zipPath);
// End of central directory record: signature 0x06054b50, within the last 64 KiB + 22 bytes.
let eocd = -1;
for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
  if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
}
if (eocd < 0) fail(`${zipPath}: not a zip archive (no end of central directory)`);
const entries = buf.readUInt16LE(eocd + 10);
let p = buf.readUInt32LE(eocd + 16);
if (p === 0xffffffff) fail(`${zipPath}: zip64 archives are not supported`);

const names = [];
for (let n = 0; n < entries; n++) {
  if (buf.readUInt32LE(p) !== 0x02014b50) fail(`${zipPath}: bad central directory entry`);
  const method = buf.readUInt16LE(p + 10);
  const crc = buf.readUInt32LE(p + 16);
  const compSize = buf.readUInt32LE(p + 20);
  const size = buf.readUInt32LE(p + 24);
  const nameLen = buf.readUInt16LE(p + 28);
  const extraLen = buf.readUInt16LE(p + 30);
  const commentLen = buf.readUInt16LE(p + 32);
  const localOffset = buf.readUInt32LE(p + 42);
  const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
  names.push(name);
  if (name === entryName) {
    if (buf.readUInt32LE(localOffset) !== 0x04034b50) fail(`${zipPath}: bad local header for ${name}`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const raw = buf.subarray(start, start + compSize);
    let data;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw);
    else fail(`${name}: compression method ${method} is not supported`);
    if (data.length !== size) fail(`${name}: size ${data.length}, expected ${size}`);
    if (typeof crc32 === 'function' && crc32(data) >>> 0 !== crc) fail(`${name}: CRC-32 mismatch`);
    const tmp = `${outPath}.part-${process.pid}`;
    writeFileSync(tmp, data);
    chmodSync(tmp, 0o755);
    renameSync(tmp, outPath);
    process.exit(0);
  }
  p += 46 + nameLen + extraLen + commentLen;
}
fail(`${zipPath}: no entry ${entryName} (entries: ${names.join(', ')})`);

function fail(message) {
  console.error(`unzip-entry: ${message}`);
  process.exit(1);
}
