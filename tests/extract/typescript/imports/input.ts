// TypeScript imports: type-only, import = require, re-exports.
import type { Options } from "./options";
import { type Kind, value } from "./mixed";
import fs = require("fs");
import * as path from "path";
export type { Shape } from "./shape";
export { default } from "./main";
export { default as Other } from "./other";
