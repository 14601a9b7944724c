#!/usr/bin/env node
// A refnet conformance backend in JavaScript (Node 20, no dependencies), over the line protocol
// of docs/backend-command.md:
//
//     python -m spec_tests --backend-command "node spec_tests/backends/javascript/backend.mjs" \
//         --include graph --include activation --include loss --include dense
//
// One JSON request a line on stdin, {"id", "family", "precision", "input"}; one JSON reply a
// line on stdout, in order, with the request's id and one of
//
//     {"result": …}          the family's result (families.mjs: graph, activation, loss, dense)
//     {"unsupported": why}   any other family, op or name, or an input float32 cannot hold
//     {"error": message}     the mathematics has no value (log 0, x/0, MAPE with a zero target),
//                            or the input is malformed
//
// Non-finite numbers cross as the strings "Infinity", "-Infinity" and "NaN", both ways.
// float64 is JavaScript's own number; float32 rounds every operation with Math.fround.
// The program ends when stdin does.

import { createInterface } from "node:readline";
import { FAMILIES, Unsupported } from "./families.mjs";

const NON_FINITE = { Infinity: Infinity, "-Infinity": -Infinity, NaN: NaN };
const PRECISIONS = ["float64", "float32"];

// A request's input with the non-finite strings turned back into numbers (spec_tests/cases.py's decode).
function decode(value) {
  if (typeof value === "string" && value in NON_FINITE) return NON_FINITE[value];
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decode(item)]));
  }
  return value;
}

// JSON.stringify writes NaN and ±Infinity as null: write the protocol's strings instead.
function encodeNonFinite(key, value) {
  if (typeof value !== "number" || Number.isFinite(value)) return value;
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

function answer(request) {
  const id = request?.id ?? null;
  try {
    if (request === null || typeof request !== "object" || Array.isArray(request)) {
      throw new Error("request: expected a JSON object");
    }
    const precision = request.precision ?? "float64";
    if (!PRECISIONS.includes(precision)) {
      throw new Unsupported(`precision ${JSON.stringify(precision)}: the JavaScript backend runs in ${PRECISIONS.join(" or ")}`);
    }
    if (!Object.hasOwn(FAMILIES, request.family)) {
      throw new Unsupported(`the JavaScript backend implements ${Object.keys(FAMILIES).join(", ")}; `
        + `not ${JSON.stringify(request.family)}`);
    }
    return { id, result: FAMILIES[request.family](decode(request.input ?? {}), precision) };
  } catch (error) {
    if (error instanceof Unsupported) return { id, unsupported: error.message };
    return { id, error: `${error.name}: ${error.message}` };
  }
}

function reply(line) {
  try {
    return answer(JSON.parse(line));
  } catch (error) {
    return { id: null, error: `request: not JSON (${error.message})` };
  }
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim() === "") continue;
  process.stdout.write(JSON.stringify(reply(line), encodeNonFinite) + "\n");
}
