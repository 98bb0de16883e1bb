# A print to stderr is not part of stdout; the stdout prints around it are.
# expect: same
# %%
import sys
print("to stdout")
print("to stderr", file=sys.stderr)
print("stdout again")
