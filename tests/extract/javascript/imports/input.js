// Every import form: ES modules, re-exports, CommonJS.
import Default from "./default";
import { one, two as deux } from "../pair";
import * as all from "lib/all";
import Both, { part } from "./both";
import "./side-effect.css";
export { shared, inner as outer } from "./shared";
export * from "./star";
export * as bundle from "./bundle";
export const local = 1;

const whole = require("./whole");
const { a, b: bee, c = 3 } = require("./destructured");
const member = require("./member").thing;
const same = require("./same").same;
require("./bare");

function lazy() {
  const later = require("./later");
  return later();
}
