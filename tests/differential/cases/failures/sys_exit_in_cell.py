# sys.exit(0) in a cell stops the notebook with an error output; a script would exit 0 there.
# notebook: fails
# %%
import sys
print("before exit")
# %%
sys.exit(0)
# %%
print("after exit")
