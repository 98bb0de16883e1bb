# sum of a generator expression over an iterator consumes the iterator.
# %%
it = iter([1, 2, 3])
# %%
sum(x * x for x in it)
# %%
print(list(it))
