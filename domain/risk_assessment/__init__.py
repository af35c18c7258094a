"""The risk assessment (DUERP) tool."""
