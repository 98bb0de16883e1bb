# `In[1]` and `_i1` read the source of an earlier cell.
# %%
x = 1
# %%
print(In[1], _i1 == In[1])
