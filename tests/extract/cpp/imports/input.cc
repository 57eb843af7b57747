// #include and using forms.
#include "local/header.h"
#include <vector>
#include <sys/types.h>

using namespace std;
using namespace llvm::sys;
using std::string;
using ::size_t;
namespace fs = std::filesystem;

namespace app {
using namespace detail;
struct S {
	using Base::run;
};
}

void f()
{
	using std::swap;
}
