# operator.ior on a set mutates it.
# %%
import operator
s = {1}
# %%
operator.ior(s, {2})
# %%
print(sorted(s))
