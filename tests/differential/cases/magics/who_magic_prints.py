# `%who` prints the notebook's variable names.
# %%
alpha = 1
beta = "b"
# %%
%who
