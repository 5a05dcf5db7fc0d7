"""Imports every area's models so SQLAlchemy and Alembic see all tables."""
from .audit.models import AuditEntry, AuditVerification, JournalEntry, JournalHead, PriceChange, StorePriceChange  # noqa: F401
from .auth.models import LoginSession, LoginThrottle  # noqa: F401
from .books.models import ClimateReading, CustomerReport, QualityCheck  # noqa: F401
from .catalog.models import Barcode, Category, Product, ProductUnit, StorePrice  # noqa: F401
from .controlled.models import ControlledEntry, ControlledIncident  # noqa: F401
from .counts.models import StockCount, StockCountLine  # noqa: F401
from .customers.models import Customer  # noqa: F401
from .einvoices.models import EInvoice  # noqa: F401
from .idempotency.models import IdempotencyKey  # noqa: F401
from .issues.models import GoodsIssue, IssueLine  # noqa: F401
from .numbering import DocumentCounter  # noqa: F401
from .outbox.models import OutboxAttempt, OutboxMessage  # noqa: F401
from .payments.models import BankNotification  # noqa: F401
from .prescriptions.dispenses import PrescriptionDispense  # noqa: F401
from .prescriptions.models import NationalAnswer, Prescription  # noqa: F401
from .recalls.models import Recall, RecallLot  # noqa: F401
from .receipts.models import Receipt, ReceiptLine  # noqa: F401
from .sales.daily import SalesDaily  # noqa: F401
from .sales.models import CustomerReturn, ReturnLine, Sale, SaleAllocation, SaleLine, SaleVoid  # noqa: F401
from .shifts.models import CashMovement, Shift  # noqa: F401
from .stock.models import Movement, StockLot, StockSetting, StockStateChange  # noqa: F401
from .stores.models import Store, User, user_stores  # noqa: F401
from .suppliers.models import Supplier, SupplierPayment, SupplierPrice, SupplierPriceRow  # noqa: F401
from .transfers.models import Transfer, TransferAllocation, TransferLine  # noqa: F401
