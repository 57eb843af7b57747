// Out-of-line members written with macros for the template header and the
// class name (as libstdc++'s pb_ds does): the parser loses the headers.
#define PB_T_DEC template <typename Key, typename Cmp>
#define PB_C_DEC tree_map<Key, Cmp>

PB_T_DEC
PB_C_DEC::
tree_map()
{ PB_ASSERT_VALID((*this)) }

PB_T_DEC
PB_C_DEC::
tree_map(const Cmp &r_cmp)
: base_type(r_cmp)
{ PB_ASSERT_VALID((*this)) }

PB_T_DEC
PB_C_DEC::
~tree_map()
{ clear(); }

PB_T_DEC
template<typename Pred>
typename PB_C_DEC::size_type
PB_C_DEC::
erase_if(Pred pred)
{
  const size_type erased = base_type::erase_if(pred);
  rebalance();
  return erased;
}

PB_T_DEC
inline void
PB_C_DEC::
clear()
{
  destroy(m_root);
}
