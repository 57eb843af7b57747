// Macros the parser does not know.
#define GUARDED(m)
#define TEST(a, b) void a##_##b()

class Store {
	void save();
	void load();
};

void Store::save() GUARDED(mu)
{
	write_all();
}

void Store::load()
{
	read_all();
}

TEST(Store, Saves)
{
	Store s;
	check(1);
}

MATCHER(IsEven, "") { return (arg % 2) == 0 && is_int(arg); }

int after_errors(int x)
{
	return x + @;
}
