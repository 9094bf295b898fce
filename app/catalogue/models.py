"""SQLModel tables for the catalogue: reference data, rebuilt from the data files at start-up."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class AuthorityRow(SQLModel, table=True):
    __tablename__ = "authority"

    id: str = Field(primary_key=True)
    name: str
    gss_code: str
    default_calendar: str


class DocumentRow(SQLModel, table=True):
    __tablename__ = "document"

    id: str = Field(primary_key=True)
    authority_id: str = Field(foreign_key="authority.id", index=True)
    title: str
    published: str
    review: str | None = None
    seed_file: str


class ThemeRow(SQLModel, table=True):
    __tablename__ = "theme"

    id: str = Field(primary_key=True)
    name: str
    description: str
    position: int


class ItemRow(SQLModel, table=True):
    __tablename__ = "item"

    id: str = Field(primary_key=True)
    authority_id: str = Field(foreign_key="authority.id", index=True)
    document_id: str = Field(foreign_key="document.id", index=True)
    kind: str = Field(index=True)
    number: str | None = None
    title: str | None = None
    text: str
    parent_id: str | None = Field(default=None, index=True)
    position: int  # order within the document
    catalogue_order: int = Field(index=True)  # order across the whole catalogue
    section: str
    fields: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class ItemThemeRow(SQLModel, table=True):
    __tablename__ = "item_theme"

    item_id: str = Field(foreign_key="item.id", primary_key=True)
    theme_id: str = Field(foreign_key="theme.id", primary_key=True, index=True)
