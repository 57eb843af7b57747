// Lambdas belong to the function they are written in.
#include <functional>
#include <vector>

int apply(std::function<int(int)> fn, int v)
{
	return fn(v);
}

int run(std::vector<int> &items)
{
	int total = 0;
	auto add = [&](int x) {
		total += weigh(x);
		return x;
	};
	for (auto &item : items)
		add(item);
	std::function<void()> later = [] { tick(); };
	later();
	apply([](int y) { return square(y); }, 3);
	for (auto &f : handlers())
		f();
	return total;
}

auto global_lambda = [](int z) { return cube(z); };

static bool registered = [] {
	int n = count_all();
	auto twice = [](int k) { return k * 2; };
	return twice(n) > 0;
}();
