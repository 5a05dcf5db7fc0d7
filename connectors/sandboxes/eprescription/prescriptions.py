"""Realistic demo prescriptions for the e-prescription sandbox, dated relative to `today`."""
from __future__ import annotations

from datetime import date, timedelta

# Codes: 5-character prescribing-facility code, 7 letters/digits, '-', type letter.
ORDINARY_CODE = "79011a3f9k2q-c"       # bronchitis: Amoxicillin + Omeprazol
PARTLY_SOLD_CODE = "01023b7h2m5p-c"    # hypertension: Amlodipin, 10 of 30 already sold elsewhere
MISSING_DRUG_CODE = "79024c1d8r4t-c"   # sinusitis: Augmentin + a line without ma_thuoc
CONTROLLED_CODE = "48001d5k3n7w-h"     # anxiety: a psychotropic (controlled) prescription


def _line(line_id, code, brand, name, unit, quantity, usage, sold=None) -> dict:
    line = {"id": line_id, "ma_thuoc": code, "biet_duoc": brand, "ten_thuoc": name, "don_vi_tinh": unit,
            "so_luong": quantity, "cach_dung": usage}
    if code is None:
        del line["ma_thuoc"]
    if sold:
        line["so_luong_ban"] = sold
    return line


def demo_prescriptions(today: date) -> dict[str, dict]:
    """Four prescriptions keyed by code, in the lookup JSON shape, with dates in the formats seen in the wild."""
    def ago(days: int) -> date:
        return today - timedelta(days=days)

    return {
        ORDINARY_CODE: {
            "ma_don_thuoc": ORDINARY_CODE, "loai_don_thuoc": "c",
            "ngay_gio_ke_don": ago(0).isoformat() + "T08:30:00",
            "ho_ten_benh_nhan": "Nguyễn Văn An", "ngay_sinh_benh_nhan": "15/03/1978", "gioi_tinh": "Nam",
            "ma_dinh_danh_y_te": "079078001234", "ma_so_the_bao_hiem_y_te": "DN4797912345678",
            "dia_chi": "12 Nguyễn Trãi, Phường Bến Thành, TP. Hồ Chí Minh",
            "chan_doan": [{"ma_chan_doan": "J20.9", "ten_chan_doan": "Viêm phế quản cấp, không đặc hiệu"},
                          {"ma_chan_doan": "K21.9", "ten_chan_doan": "Bệnh trào ngược dạ dày - thực quản"}],
            "ten_bac_si": "BS. Trần Minh Đức", "ten_co_so_kham_chua_benh": "Bệnh viện Nhân dân 115",
            "luu_y": "", "loi_dan": "Uống nhiều nước, tái khám nếu sốt cao",
            "ngay_tai_kham": (today + timedelta(days=7)).strftime("%Y%m%d"),
            "thong_tin_don_thuoc": [
                _line(101, "TQG000005", "Amoxicillin 500mg", "Amoxicillin 500mg", "Viên", 21,
                      "Uống 1 viên x 3 lần/ngày, sau ăn"),
                _line(102, "TQG000017", "Omeprazol 20mg", "Omeprazol 20mg", "Viên", 14,
                      "Uống 1 viên/ngày trước ăn sáng 30 phút"),
            ],
        },
        PARTLY_SOLD_CODE: {
            "ma_don_thuoc": PARTLY_SOLD_CODE, "loai_don_thuoc": "c",
            "ngay_gio_ke_don": ago(3).strftime("%d/%m/%Y") + " 14:05",
            "ho_ten_benh_nhan": "Trần Thị Bích", "ngay_sinh_benh_nhan": "1965-08-02", "gioi_tinh": "Nữ",
            "ma_dinh_danh_y_te": "", "ma_so_the_bao_hiem_y_te": "HT3010165432109",
            "dia_chi": "45 Phố Huế, Hai Bà Trưng, Hà Nội",
            "chan_doan": [{"ma_chan_doan": "I10", "ten_chan_doan": "Tăng huyết áp vô căn (nguyên phát)"}],
            "ten_bac_si": "BS. Lê Thu Hà", "ten_co_so_kham_chua_benh": "Bệnh viện Bạch Mai",
            "luu_y": "Đo huyết áp hằng ngày", "loi_dan": "Ăn nhạt, hạn chế rượu bia",
            "ngay_tai_kham": (today + timedelta(days=27)).strftime("%d/%m/%Y"),
            "thong_tin_don_thuoc": [
                _line(201, "TQG000011", "Amlodipin 5mg", "Amlodipin 5mg", "Viên", 30,
                      "Uống 1 viên/ngày vào buổi sáng", sold=10),
            ],
        },
        MISSING_DRUG_CODE: {
            "ma_don_thuoc": MISSING_DRUG_CODE, "loai_don_thuoc": "c",
            "ngay_gio_ke_don": ago(1).strftime("%Y%m%d") + "0945",
            "ho_ten_benh_nhan": "Lê Minh Châu", "ngay_sinh_benh_nhan": "20010612", "gioi_tinh": "Nữ",
            "ma_dinh_danh_y_te": "", "ma_so_the_bao_hiem_y_te": "",
            "dia_chi": "8 Trần Phú, Hải Châu, Đà Nẵng",
            "chan_doan": [{"ma_chan_doan": "J01.9", "ten_chan_doan": "Viêm xoang cấp, không đặc hiệu"}],
            "ten_bac_si": "BS. Phạm Văn Hùng", "ten_co_so_kham_chua_benh": "Phòng khám Đa khoa Hòa Hảo",
            "luu_y": "", "loi_dan": "", "ngay_tai_kham": None,
            "thong_tin_don_thuoc": [
                _line(301, "TQG000006", "Augmentin 625mg", "Amoxicillin + Acid clavulanic 500mg/125mg", "Viên", 14,
                      "Uống 1 viên x 2 lần/ngày, sau ăn"),
                _line(302, None, "Panadol", "Paracetamol 500mg", "Viên", 10,
                      "Uống 1 viên khi sốt trên 38,5 độ, cách nhau 4-6 giờ"),
            ],
        },
        CONTROLLED_CODE: {
            "ma_don_thuoc": CONTROLLED_CODE, "loai_don_thuoc": "h",
            "ngay_gio_ke_don": ago(2).strftime("%d/%m/%Y") + " 10:20:00",
            "ho_ten_benh_nhan": "Phạm Quốc Dũng", "ngay_sinh_benh_nhan": "05/11/1959", "gioi_tinh": "Nam",
            "ma_dinh_danh_y_te": "048059004321", "ma_so_the_bao_hiem_y_te": "HT2484812345670",
            "dia_chi": "102 Lê Lợi, TP. Huế",
            "chan_doan": [{"ma_chan_doan": "F41.1", "ten_chan_doan": "Rối loạn lo âu lan tỏa"}],
            "ten_bac_si": "BS. Nguyễn Thị Hạnh", "ten_co_so_kham_chua_benh": "Bệnh viện Trung ương Huế",
            "luu_y": "Thuốc hướng thần: không tự ý tăng liều", "loi_dan": "Tái khám đúng hẹn",
            "ngay_tai_kham": (today + timedelta(days=14)).isoformat(),
            "thong_tin_don_thuoc": [
                _line(401, "TQG000901", "Seduxen 5mg", "Diazepam 5mg", "Viên", 10, "Uống 1 viên trước khi ngủ"),
            ],
        },
    }
