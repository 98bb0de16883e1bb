# sys.stdout.write output is stdout too.
# expect: same
# %%
import sys
for n in range(3):
    sys.stdout.write(str(n) + ",")
sys.stdout.write("\n")
