# sys.stdout is rebound to a file by hand and restored; the prints in between go to the file.
# expect: same
# %%
import sys
shape = (3, 4)
# %%
saved = sys.stdout
sys.stdout = open("captured.txt", "w")
print("shape", shape)
sys.stdout.close()
sys.stdout = saved
del saved
# %%
print("done")
