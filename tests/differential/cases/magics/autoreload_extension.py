# `%load_ext autoreload` and `%autoreload 2` are editor conveniences; the code after them runs.
# %%
%load_ext autoreload
%autoreload 2
# %%
value = 3 * 3
print(value)
