// Object literals holding functions, named by the variable they are bound to.
const api = {
  get() {
    return fetchIt();
  },
  post: (x) => send(x),
  users: {
    list: function () {},
  },
  value: 1,
};

module.exports = {
  start() {
    boot();
  },
  stop: () => {},
};

register({
  onEvent() {
    handle();
  },
});

function Widget() {}
Widget.prototype = {
  draw() {
    paint();
  },
};
