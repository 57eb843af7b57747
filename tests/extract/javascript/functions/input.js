// Function definitions of every form and where their names start.
function plain(a, b) {
  return a + b;
}

function* counter() {
  yield 1;
}

async function load() {
  return 1;
}

async function* pages() {}

const arrow = (x) => x * 2;
let expr = function () {
  return 0;
};
var named = function inner() {};

exports.helper = function () {};
module.exports.other = () => {};

function outer() {
  function nested() {
    const deeper = () => 1;
    return deeper();
  }
  return nested();
}

[1, 2].map(function each(x) { return x; });
