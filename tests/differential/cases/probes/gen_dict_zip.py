# dict(zip(keys, it)) shown consumes the iterator.
# %%
it = iter([1, 2, 3])
# %%
dict(zip("ab", it))
# %%
print(list(it))
