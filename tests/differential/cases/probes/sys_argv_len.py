# The notebook reads len(sys.argv).
# %%
import sys
print(len(sys.argv) > 1)
