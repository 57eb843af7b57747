// Every form of call site.
#include <memory>

namespace util {
int twice(int x);
}

struct Base {
	virtual void hook();
};

struct Widget : Base {
	int size_ = compute();
	void hook() override;
	static int compute();
	template <typename T> T get();
};

void Widget::hook()
{
	this->compute();
	Base::hook();
	util::twice(2);
	::util::twice(3);
	std::make_unique<Widget>();
	auto *w = new Widget();
	Widget copy{};
	Widget{};
	w->hook();
	copy.get<int>();
	w->template get<long>();
	(*w).hook();
	Widget::compute();
	free_function(1);
	max<int>(1, 2);
	new std::string("x");
	new int[3];
}

void dynamic_calls(void (*cb)(int), void (**table)(int))
{
	cb(1);
	(*cb)(2);
	table[0](3);
	int (*local)(int) = nullptr;
	local(4);
	(free_function)(5);
	make_callback()(6);
}

int value = util::twice(21);

void casts(Base *b)
{
	auto *w = static_cast<Widget *>(b);
	Widget made(1), other(2);
	std::string text("x");
	int plain(3);
	return typeid(*w).name();
}

void members(Widget w, void (Widget::*pm)())
{
	(w.*pm)();
}
