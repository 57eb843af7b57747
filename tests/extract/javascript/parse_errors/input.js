// A broken file: definitions around the damage are still found.
function before() {
  ok();
}

function broken( {
  lost(;
}

class Kept {
  method() {
    inside();
  }
}

const after = () => {
  fine();
};
