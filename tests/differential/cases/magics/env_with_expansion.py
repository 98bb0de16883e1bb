# `%env DATA_DIR={base}/data` expands the expression before setting the variable.
# %%
import os
base = "root"
# %%
%env DATA_DIR={base}/data
# %%
print(os.environ["DATA_DIR"])
